"""``python -m livewh``: the same as the ``livewh`` command."""

import sys

from livewh.cli import main

sys.exit(main())

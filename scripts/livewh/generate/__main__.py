"""``python -m livewh.generate``: the generate sub-command on its own."""

from livewh.generate.cli import main

raise SystemExit(main())

"""Write a warehouse-shaped file for timing the prediction step at a scale a full build cannot reach yet.

``livewh predict --db FILE`` needs ``main.fct_orders`` (customer_key, order_date_local, is_qualifying,
net_usd) and ``intermediate.int_observation_end``. This tool makes them straight from a raw orders
file (for example the large profile's ``/work/data/large/orders.parquet``: 1.2 million orders of
1,000,000 accounts), without the warehouse: the account id is the person, the UTC date is the
purchase day, cancelled and refunded statuses do not qualify (refund rows are ignored), and amounts
are converted to USD at each currency's mean rate in ``seeds/fx_rates_default.csv``. ``--copies N``
repeats every account N times under new keys, to reach a target number of buyers. The figures are
for timing and memory only, not for analysis.

    python -m livewh.tools.prediction_bench_input /work/data/large/orders.parquet build/bench/large.duckdb
    livewh predict --db build/bench/large.duckdb
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

from livewh import PROJECT_ROOT
from livewh.warehouse import sql_string

FX_SEED = PROJECT_ROOT / "seeds" / "fx_rates_default.csv"


def write_bench_input(orders_file: Path, out: Path, copies: int = 1) -> tuple[int, int]:
    """Write ``out`` from a raw orders file; return (orders, buyers) written."""
    if copies < 1:
        raise ValueError("copies must be at least 1")
    reader = "read_parquet" if orders_file.suffix == ".parquet" else "read_csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.unlink(missing_ok=True)
    with duckdb.connect(str(out)) as connection:
        connection.execute("create schema if not exists intermediate")
        connection.execute(
            f"""
            create table main.fct_orders as
            with
            rates as (
                select currency, avg(usd_per_unit) as usd_per_unit
                from read_csv({sql_string(str(FX_SEED))})
                group by currency
            ),
            orders as (select * from {reader}({sql_string(str(orders_file))})),
            copies as (select range as copy from range({int(copies)}))
            select
                orders.order_id || '-' || copies.copy as order_id,
                orders.customer_id || '-' || copies.copy as customer_key,
                cast(cast(orders.ordered_at as timestamp) as date) as order_date_local,
                coalesce(lower(orders.status), 'completed') not in ('cancelled', 'refunded') as is_qualifying,
                cast(orders.order_total * coalesce(rates.usd_per_unit, 1) as decimal(18, 4)) as net_usd
            from orders
            cross join copies
            left join rates on upper(orders.currency) = rates.currency
            """
        )
        connection.execute(
            """
            create table intermediate.int_observation_end as
            select max(order_date_local) as as_of_date, 'latest_data' as as_of_date_source
            from main.fct_orders
            """
        )
        ((orders, buyers),) = connection.execute(
            "select count(*), count(distinct customer_key) filter (where is_qualifying) from main.fct_orders"
        ).fetchall()
    return int(orders), int(buyers)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("orders_file", type=Path, help="raw orders.parquet or orders.csv")
    parser.add_argument("out", type=Path, help="the DuckDB file to write (replaced)")
    parser.add_argument("--copies", type=int, default=1, help="repeat every account N times (default 1)")
    args = parser.parse_args(argv)
    orders, buyers = write_bench_input(args.orders_file, args.out, args.copies)
    print(f"wrote {args.out}: {orders:,} orders, {buyers:,} buyers")
    return 0


if __name__ == "__main__":
    sys.exit(main())

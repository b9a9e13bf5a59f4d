{#-
    When the raw data folder ships hand-computed (or independently computed) figures, the
    repurchase marts must reproduce them: <raw folder>/expected/<mart>.csv for the default
    observation end, <raw folder>/expected_as_of_<date>/<mart>.csv for a build with that
    as_of_date. Every row of the CSV must exist in the mart and vice versa, and every listed
    column must match (numbers within 1e-6; an empty field is a null). A folder without such
    files (the demo data) has nothing to compare. tests/fixtures/repurchase_handmade ships both.
-#}
{#- DuckDB only (selectors.yml leaves it out of spark_ported): it lists and reads the CSV files with
    DuckDB's glob() and read_csv(); the marts it checks are compared with DuckDB's row for row in
    tests/python/test_spark.py -#}
{{ config(tags=['duckdb_only']) }}
{%- set checks = [
    ('fct_cohort_repurchase', ['cohort_grain', 'cohort_label', 'window_days'],
        ['cohort_size', 'eligible_customers', 'censored_customers', 'repurchasers', 'repurchase_rate', 'naive_repurchase_rate']),
    ('fct_cohort_retention', ['cohort_month', 'months_since_first_purchase'],
        ['is_complete', 'cohort_size', 'active_buyers', 'retention_rate']),
    ('rpt_repeat_buyer_rate', ['period_grain', 'period_label'],
        ['is_complete_period', 'buyers', 'repeat_buyers', 'repeat_buyer_rate', 'orders', 'purchase_days']),
    ('rpt_user_layers', ['month_label'],
        ['accounts_created', 'new_accounts', 'first_time_buyers', 'repeat_buyers', 'high_frequency_repeat_buyers',
         'first_time_repeat_buyers', 'buyers']),
    ('rpt_cross_sell', ['first_order_category', 'next_purchase_category'],
        ['customers', 'first_category_repurchasers', 'share_of_repurchasers']),
] -%}
{%- set as_of = var('as_of_date', '') | string | trim -%}
{%- set folder = (var('raw_data_dir') | string).rstrip('/') ~ '/' ~ ('expected_as_of_' ~ as_of if as_of else 'expected') -%}
{%- set files = [] -%}
{%- if execute -%}
    {%- set listing = run_query("select file from glob('" ~ folder | replace("'", "''") ~ "/*.csv')") -%}
    {%- for path in listing.columns[0].values() -%}
        {%- do files.append(path | replace('\\', '/')) -%}
    {%- endfor -%}
{%- endif -%}
{%- set comparisons = [] -%}
{%- for mart, key_columns, value_columns in checks -%}
    {%- set relation = ref(mart) -%}
    {%- set path = folder ~ '/' ~ mart ~ '.csv' -%}
    {%- if path in files -%}
        {%- do comparisons.append(repurchase_expected_figure_mismatches(relation, path, key_columns, value_columns)) -%}
    {%- endif -%}
{%- endfor -%}
{%- if comparisons | length > 0 %}
    {{ comparisons | join('\nunion all\n') }}
{%- else %}
select
    null as mart,
    null as row_key,
    null as column_name,
    null as expected_value,
    null as actual_value
where false
{%- endif %}

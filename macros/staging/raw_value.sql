{# purpose: a raw column (types: DuckDB or Spark type names, upper case) as the contract's kind (text, timestamp, date, decimal, double, integer, boolean): typed file columns (Parquet) are taken as they are, text columns are parsed; null when a text value does not parse (boolean text: true/false, 1/0, yes/no, t/f, y/n in any case) #}
{% macro raw_value(column, kind, types) -%}
    {%- set dtype = types.get(column | lower, 'VARCHAR') -%}
    {%- set quoted = adapter.quote(column) -%}
    {%- set is_text = dtype in ['VARCHAR', 'STRING'] -%}
    {%- set is_zoned = dtype.startswith('TIMESTAMP WITH TIME ZONE') or dtype == 'TIMESTAMPTZ' -%}
    {%- set is_time = dtype.startswith('TIMESTAMP') or dtype == 'DATE' -%}
    {%- set is_whole = dtype in ['TINYINT', 'SMALLINT', 'INT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT'] -%}
    {%- if kind == 'text' -%}
        {%- if is_text -%}{{ clean_text(quoted) }}{%- else -%}cast({{ quoted }} as {{ text_type() }}){%- endif -%}
    {%- elif kind in ['timestamp', 'date'] -%}
        {%- if is_text -%}{%- set parsed = to_utc_timestamp(quoted) -%}
        {%- elif is_zoned -%}{%- set parsed = zoned_to_utc_timestamp(quoted) -%}
        {%- elif is_time -%}{%- set parsed = 'cast(' ~ quoted ~ ' as timestamp)' -%}
        {%- else -%}{%- set parsed = to_utc_timestamp('cast(' ~ quoted ~ ' as ' ~ text_type() ~ ')') -%}
        {%- endif -%}
        {%- if kind == 'date' -%}cast({{ parsed }} as date){%- else -%}{{ parsed }}{%- endif -%}
    {%- elif kind == 'decimal' -%}
        {%- if is_text -%}{{ to_decimal(quoted) }}{%- else -%}try_cast({{ quoted }} as decimal(18, 4)){%- endif -%}
    {%- elif kind == 'double' -%}
        {%- if is_text -%}try_cast({{ clean_text(quoted) }} as double){%- else -%}try_cast({{ quoted }} as double){%- endif -%}
    {%- elif kind == 'integer' -%}
        {%- if is_text -%}{{ to_integer(quoted) }}
        {%- elif is_whole -%}cast({{ quoted }} as bigint)
        {%- else -%}case when {{ quoted }} = floor({{ quoted }}) then try_cast({{ quoted }} as bigint) end
        {%- endif -%}
    {%- elif kind == 'boolean' -%}
        {%- if dtype == 'BOOLEAN' -%}{{ quoted }}
        {%- else -%}
            {%- set text = clean_text(quoted) if is_text else 'cast(' ~ quoted ~ ' as ' ~ text_type() ~ ')' -%}
            case lower({{ text }})
                when 'true' then true when 't' then true when '1' then true when 'yes' then true when 'y' then true
                when 'false' then false when 'f' then false when '0' then false when 'no' then false when 'n' then false
            end
        {%- endif -%}
    {%- else -%}
        {{ exceptions.raise_compiler_error("raw_value: unknown kind '" ~ kind ~ "' for column " ~ column) }}
    {%- endif -%}
{%- endmacro %}

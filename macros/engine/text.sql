{#- Engine-specific text expressions (DuckDB, Apache Spark), dispatched so that one set of models
    builds on both. Each macro names the engine behaviour it hides. -#}

{# purpose: the SQL name of the text type (DuckDB varchar, Spark string: Spark refuses varchar without a length) #}
{% macro text_type() -%}
    {{ return(adapter.dispatch('text_type', 'livewh')()) }}
{%- endmacro %}

{% macro default__text_type() -%}
    varchar
{%- endmacro %}

{% macro spark__text_type() -%}
    string
{%- endmacro %}

{# purpose: true when the whole text matches the regular expression (null for null text) #}
{% macro regexp_full_match(expression, pattern) -%}
    {{ return(adapter.dispatch('regexp_full_match', 'livewh')(expression, pattern)) }}
{%- endmacro %}

{% macro default__regexp_full_match(expression, pattern) -%}
    regexp_full_match({{ expression }}, '{{ pattern }}')
{%- endmacro %}

{% macro spark__regexp_full_match(expression, pattern) -%}
    ({{ expression }} rlike '^(?:{{ pattern }})$')
{%- endmacro %}

{# purpose: every match of the regular expression replaced (DuckDB needs the 'g' flag, Spark replaces all by default) #}
{% macro regexp_replace_all(expression, pattern, replacement) -%}
    {{ return(adapter.dispatch('regexp_replace_all', 'livewh')(expression, pattern, replacement)) }}
{%- endmacro %}

{% macro default__regexp_replace_all(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, '{{ pattern }}', '{{ replacement }}', 'g')
{%- endmacro %}

{% macro spark__regexp_replace_all(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, '{{ pattern }}', '{{ replacement }}')
{%- endmacro %}

{# purpose: true when the text begins, or ends, with the given literal text #}
{% macro text_starts_with(expression, prefix) -%}
    {{ return(adapter.dispatch('text_starts_with', 'livewh')(expression, prefix)) }}
{%- endmacro %}

{% macro default__text_starts_with(expression, prefix) -%}
    starts_with({{ expression }}, '{{ prefix }}')
{%- endmacro %}

{% macro spark__text_starts_with(expression, prefix) -%}
    startswith({{ expression }}, '{{ prefix }}')
{%- endmacro %}

{% macro text_ends_with(expression, suffix) -%}
    {{ return(adapter.dispatch('text_ends_with', 'livewh')(expression, suffix)) }}
{%- endmacro %}

{% macro default__text_ends_with(expression, suffix) -%}
    ends_with({{ expression }}, '{{ suffix }}')
{%- endmacro %}

{% macro spark__text_ends_with(expression, suffix) -%}
    endswith({{ expression }}, '{{ suffix }}')
{%- endmacro %}

{# purpose: the SHA-256 hex digest (lower case) of a text #}
{% macro sha256_digest(expression) -%}
    {{ return(adapter.dispatch('sha256_digest', 'livewh')(expression)) }}
{%- endmacro %}

{% macro default__sha256_digest(expression) -%}
    sha256({{ expression }})
{%- endmacro %}

{% macro spark__sha256_digest(expression) -%}
    sha2({{ expression }}, 256)
{%- endmacro %}

{# purpose: a JSON object as text from (field name, SQL expression) pairs, in that order, a null value written as null (Spark's to_json drops null fields unless told otherwise), a timestamp as DuckDB writes one with whole seconds (Spark drops a fraction of a second) #}
{% macro json_object_text(fields) -%}
    {{ return(adapter.dispatch('json_object_text', 'livewh')(fields)) }}
{%- endmacro %}

{% macro default__json_object_text(fields) -%}
    cast(to_json(struct_pack(
    {%- for name, expression in fields %}
        {{ name }} := {{ expression }}{{ ',' if not loop.last }}
    {%- endfor %}
    )) as varchar)
{%- endmacro %}

{% macro spark__json_object_text(fields) -%}
    to_json(named_struct(
    {%- for name, expression in fields %}
        '{{ name }}', {{ expression }}{{ ',' if not loop.last }}
    {%- endfor %}
    ), map('ignoreNullFields', 'false', 'timestampFormat', 'yyyy-MM-dd HH:mm:ss'))
{%- endmacro %}

{# purpose: a 64-bit hash of a row's values, to notice that a row changed between two builds (DuckDB hash, Spark xxhash64; the engines give different values, each stable on its own) #}
{% macro row_hash(columns) -%}
    {{ return(adapter.dispatch('row_hash', 'livewh')(columns)) }}
{%- endmacro %}

{% macro default__row_hash(columns) -%}
    hash({{ columns | join(', ') }})
{%- endmacro %}

{% macro spark__row_hash(columns) -%}
    xxhash64({{ columns | join(', ') }})
{%- endmacro %}

{# purpose: a raw file's value as the text DuckDB gives it (the raw record of a rejected row): the same text on Spark for typed Parquet columns, where Spark's own casts differ (a zoned timestamp without '+00', a double in Java's notation, 4.03516E-5 for 4.03516e-05) #}
{% macro raw_value_as_text(expression, file_type) -%}
    {{ return(adapter.dispatch('raw_value_as_text', 'livewh')(expression, file_type)) }}
{%- endmacro %}

{% macro default__raw_value_as_text(expression, file_type) -%}
    cast({{ expression }} as {{ text_type() }})
{%- endmacro %}

{% macro spark__raw_value_as_text(expression, file_type) -%}
    {%- set file_type = file_type | upper -%}
    {%- if file_type == 'TIMESTAMP' -%}
        {#- Spark's timestamp is an instant (DuckDB's timestamptz): in the UTC session, '+00' -#}
        date_format({{ expression }}, 'yyyy-MM-dd HH:mm:ssx')
    {%- elif file_type in ['DOUBLE', 'FLOAT'] -%}
        {#- the shortest round-trip digits (Spark's cast), written as DuckDB writes a double:
            plain from 1e-4 up to 1e16 ('0.00015', '300000.0'), else d.ddde-05 / de+16 -#}
        case
            when {{ expression }} is null then null
            when {{ expression }} = 0 then '0.0'
            when abs({{ expression }}) >= 1e-4 and abs({{ expression }}) < 1e16 then
                regexp_replace(
                    regexp_replace(cast(case when abs({{ expression }}) < 1 then cast({{ expression }} as decimal(38, 24)) else cast({{ expression }} as decimal(38, 18)) end as string), '0+$', ''),
                    '\\.$', '.0')
            else concat(
                regexp_replace(regexp_extract(cast({{ expression }} as string), '^(-?[0-9.]+)E', 1), '\\.0$', ''),
                'e',
                case when cast(regexp_extract(cast({{ expression }} as string), 'E(-?[0-9]+)$', 1) as int) < 0 then '-' else '+' end,
                lpad(cast(abs(cast(regexp_extract(cast({{ expression }} as string), 'E(-?[0-9]+)$', 1) as int)) as string), 2, '0'))
        end
    {%- else -%}
        cast({{ expression }} as string)
    {%- endif -%}
{%- endmacro %}

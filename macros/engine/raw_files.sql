{#- How the create_raw_views() hook reaches the raw files on each engine. DuckDB reads a file
    directly in a query (read_csv, read_parquet); Spark needs a table over the file first, kept in
    the raw schema as _file_<table> beside the view raw.<table>. -#}

{# purpose: the paths of the files in the raw data folder, each as <raw_dir>/<file name> #}
{% macro raw_folder_files(raw_dir) -%}
    {{ return(adapter.dispatch('raw_folder_files', 'livewh')(raw_dir)) }}
{%- endmacro %}

{% macro default__raw_folder_files(raw_dir) -%}
    {%- set listing = run_query("select file from glob('" ~ raw_dir | replace("'", "''") ~ "/*')") -%}
    {{ return(listing.columns[0].values() | list) }}
{%- endmacro %}

{% macro spark__raw_folder_files(raw_dir) -%}
    {#- binaryFile lists a folder's files; only the path is selected, so no file is read. Spark
        stops with PATH_NOT_FOUND when the folder does not exist. -#}
    {%- set listing = run_query("select path from binaryFile.`" ~ raw_dir | replace('`', '``') ~ "`") -%}
    {%- set paths = [] -%}
    {%- for found in listing.columns[0].values() | sort -%}
        {%- do paths.append(raw_dir ~ '/' ~ (found.split('/') | last)) -%}
    {%- endfor -%}
    {{ return(paths) }}
{%- endmacro %}

{# purpose: what to select a raw file from, and the expression of each row's 1-based position in the file: {'relation': SQL, 'row_number': SQL} #}
{% macro raw_file_reader(registry_relation, table_name, path, file_format) -%}
    {{ return(adapter.dispatch('raw_file_reader', 'livewh')(registry_relation, table_name, path, file_format)) }}
{%- endmacro %}

{% macro default__raw_file_reader(registry_relation, table_name, path, file_format) -%}
    {%- set quoted_path = "'" ~ path | replace("'", "''") ~ "'" -%}
    {%- if file_format == 'parquet' -%}
        {{ return({'relation': 'read_parquet(' ~ quoted_path ~ ', file_row_number = true)',
                   'row_number': 'file_row_number + 1'}) }}
    {%- else -%}
        {#- DuckDB keeps file order in a single-file scan (preserve_insertion_order), so this is the line order -#}
        {{ return({'relation': 'read_csv(' ~ quoted_path ~ ", header = true, all_varchar = true, delim = ',', quote = '\"', escape = '\"')",
                   'row_number': 'row_number() over ()'}) }}
    {%- endif -%}
{%- endmacro %}

{% macro spark__raw_file_reader(registry_relation, table_name, path, file_format) -%}
    {%- set file_table = registry_relation.incorporate(path={'identifier': '_file_' ~ table_name}) -%}
    {#- a table's location is resolved against the warehouse folder, not the working folder: take
        the file's absolute URI from a listing of that one file -#}
    {%- set absolute = run_query("select path from binaryFile.`" ~ path | replace('`', '``') ~ "`").columns[0].values()[0] -%}
    {%- set quoted_path = "'" ~ absolute | replace("'", "\\'") ~ "'" -%}
    {%- do run_query('drop table if exists ' ~ file_table) -%}
    {%- if file_format == 'parquet' -%}
        {%- do run_query('create table ' ~ file_table ~ ' using parquet options (path ' ~ quoted_path ~ ')') -%}
        {{ return({'relation': file_table, 'row_number': '_metadata.row_index + 1'}) }}
    {%- else -%}
        {#- every column as text (no schema inference), RFC 4180 quoting as DuckDB reads it; multiLine
            reads the file in one piece, so the increasing id follows the line order -#}
        {%- do run_query('create table ' ~ file_table ~ ' using csv options (path ' ~ quoted_path
            ~ ", header 'true', inferSchema 'false', sep ',', quote '\"', escape '\"', multiLine 'true')") -%}
        {{ return({'relation': file_table, 'row_number': 'cast(row_number() over (order by monotonically_increasing_id()) as bigint)'}) }}
    {%- endif -%}
{%- endmacro %}

{# purpose: a statement whose result lists the columns of a query: name first, type second #}
{% macro describe_query_sql(query) -%}
    {{ return(adapter.dispatch('describe_query_sql', 'livewh')(query)) }}
{%- endmacro %}

{% macro default__describe_query_sql(query) -%}
    {{ return('describe ' ~ query) }}
{%- endmacro %}

{% macro spark__describe_query_sql(query) -%}
    {{ return('describe query ' ~ query) }}
{%- endmacro %}

{# purpose: replace a table with the result of a query (Spark's plain tables have no create or replace) #}
{% macro replace_table_as(relation, query) -%}
    {{ return(adapter.dispatch('replace_table_as', 'livewh')(relation, query)) }}
{%- endmacro %}

{% macro default__replace_table_as(relation, query) -%}
    {%- do run_query('create or replace table ' ~ relation ~ ' as ' ~ query) -%}
{%- endmacro %}

{% macro spark__replace_table_as(relation, query) -%}
    {%- do run_query('drop table if exists ' ~ relation) -%}
    {%- do run_query('create table ' ~ relation ~ ' using parquet as ' ~ query) -%}
{%- endmacro %}

{# purpose: the storage clause of a table created by hand (Spark with a Hive metastore would otherwise make a Hive text table) #}
{% macro table_storage_clause() -%}
    {{ return(adapter.dispatch('table_storage_clause', 'livewh')()) }}
{%- endmacro %}

{% macro default__table_storage_clause() -%}
    {{ return('') }}
{%- endmacro %}

{% macro spark__table_storage_clause() -%}
    {{ return(' using parquet') }}
{%- endmacro %}

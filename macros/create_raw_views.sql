{# purpose: expose every raw contract file as a VARCHAR view raw.<table> (an empty one for a missing optional table) and stop with a readable message on a file-level problem #}
{% macro create_raw_views() %}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set raw_dir = (var('raw_data_dir') | string).rstrip('/') -%}
    {%- set contract = graph.sources.values() | selectattr('source_name', 'equalto', 'shop') | list -%}
    {%- set registry_relation = source('shop_meta', 'raw_files') -%}
    {%- set raw_schema = registry_relation.include(identifier=false) -%}
    {%- do run_query('create schema if not exists ' ~ raw_schema) -%}

    {%- set files_in_folder = raw_folder_files(raw_dir) -%}
    {%- if files_in_folder | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            "Raw data folder '" ~ raw_dir ~ "' is missing or empty. Point the raw_data_dir var "
            ~ "(or LIVEWH_RAW_DIR) at a folder holding customers.csv|parquet and orders.csv|parquet.") }}
    {%- endif -%}

    {%- set registry = [] -%}
    {%- for table in contract | sort(attribute='name') -%}
        {%- set name = table.name -%}
        {%- set required_table = table.meta.get('required', false) -%}
        {%- set candidates = [] -%}
        {%- for path in files_in_folder -%}
            {%- set base = path.split('/') | last -%}
            {%- if base in [name ~ '.parquet', name ~ '.csv'] -%}{%- do candidates.append(path) -%}{%- endif -%}
        {%- endfor -%}
        {%- if candidates | length > 1 -%}
            {{ exceptions.raise_compiler_error(
                "Raw table '" ~ name ~ "': both " ~ candidates | join(' and ')
                ~ " exist in '" ~ raw_dir ~ "'. Keep only one file per table.") }}
        {%- endif -%}

        {%- set view = registry_relation.incorporate(path={'identifier': name}) -%}
        {%- if candidates | length == 0 -%}
            {%- if required_table -%}
                {{ exceptions.raise_compiler_error(
                    "Raw table '" ~ name ~ "' is required but neither " ~ name ~ ".parquet nor " ~ name
                    ~ ".csv exists in the raw data folder '" ~ raw_dir ~ "'.") }}
            {%- endif -%}
            {%- set select_list = [] -%}
            {%- for column in table.columns -%}
                {%- do select_list.append('cast(null as ' ~ text_type() ~ ') as ' ~ adapter.quote(column)) -%}
            {%- endfor -%}
            {%- do run_query('create or replace view ' ~ view ~ ' as select ' ~ select_list | join(', ')
                ~ ', cast(null as bigint) as _raw_row_number, cast(null as ' ~ text_type() ~ ') as _raw_file where false') -%}
            {%- do registry.append("('" ~ name ~ "', cast(null as " ~ text_type() ~ "), cast(null as " ~ text_type() ~ "), " ~ required_table ~ ", false)") -%}
        {%- else -%}
            {%- set path = candidates[0] -%}
            {%- set quoted_path = "'" ~ path | replace("'", "''") ~ "'" -%}
            {%- set file_format = 'parquet' if path.endswith('.parquet') else 'csv' -%}
            {%- set file_reader = raw_file_reader(registry_relation, name, path, file_format) -%}
            {%- set reader = file_reader.relation -%}
            {%- set row_number = file_reader.row_number -%}
            {%- set described = run_query(describe_query_sql('select * from ' ~ reader)) -%}
            {%- set found = {} -%}
            {%- set found_types = {} -%}
            {%- for found_row in described.rows -%}
                {%- do found.update({found_row[0] | lower: found_row[0]}) -%}
                {%- do found_types.update({found_row[0] | lower: found_row[1] | upper}) -%}
            {%- endfor -%}
            {%- set select_list = [] -%}
            {%- set missing = [] -%}
            {%- for column, spec in table.columns.items() -%}
                {%- if column in found -%}
                    {#- a typed column (Parquet) that already has the contract's kind is passed through as it is, so
                        staging does not turn it into text and parse it back; anything else is read as text -#}
                    {%- if raw_type_is_compatible(found_types[column], spec.data_type) -%}
                        {%- do select_list.append(adapter.quote(found[column]) ~ ' as ' ~ adapter.quote(column)) -%}
                    {%- else -%}
                        {%- do select_list.append('cast(' ~ adapter.quote(found[column]) ~ ' as ' ~ text_type() ~ ') as ' ~ adapter.quote(column)) -%}
                    {%- endif -%}
                {%- elif spec.meta.get('required', false) -%}
                    {%- do missing.append(column) -%}
                {%- else -%}
                    {%- do select_list.append('cast(null as ' ~ text_type() ~ ') as ' ~ adapter.quote(column)) -%}
                {%- endif -%}
            {%- endfor -%}
            {%- if missing | length > 0 -%}
                {{ exceptions.raise_compiler_error(
                    "Raw table '" ~ name ~ "' (file " ~ path ~ "): required column(s) missing: "
                    ~ missing | join(', ') ~ ". Columns found: " ~ found.values() | join(', ') ~ ".") }}
            {%- endif -%}
            {%- do run_query('create or replace view ' ~ view ~ ' as select ' ~ select_list | join(', ')
                ~ ', ' ~ row_number ~ ' as _raw_row_number, ' ~ quoted_path ~ ' as _raw_file from ' ~ reader) -%}
            {#- a required table with a header and no rows stops here, not after the whole build -#}
            {%- if required_table and run_query('select 1 from ' ~ reader ~ ' limit 1').rows | length == 0 -%}
                {{ exceptions.raise_compiler_error(
                    "Raw table '" ~ name ~ "' (file " ~ path ~ ") has a header but no data rows; '" ~ name
                    ~ "' is required and needs at least one row.") }}
            {%- endif -%}
            {%- do registry.append("('" ~ name ~ "', " ~ quoted_path ~ ", '" ~ file_format ~ "', " ~ required_table ~ ", true)") -%}
        {%- endif -%}
    {%- endfor -%}
    {%- do replace_table_as(registry_relation, 'select * from (values ' ~ registry | join(', ')
        ~ ') as registry(table_name, file_path, file_format, is_required, is_present)') -%}
    {{ return('') }}
{% endmacro %}

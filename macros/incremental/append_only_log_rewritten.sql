{#
    purpose: whether the raw log behind an incremental model was rewritten rather than appended
    to since its rows were stored: the file now has fewer rows than the last stored position, or
    the key at a sample of stored positions (the last one and up to 16 others) differs from the
    file's. Only then does the model rebuild in full.
#}
{% macro append_only_log_rewritten(staging_relation, key_column) %}
    {%- set probe -%}
        with stored as (
            select _raw_row_number, {{ key_column }} as stored_key
            from {{ this }}
            where quarantine_reason is distinct from 'erased'
            using sample reservoir(16 rows) repeatable (17)
            union
            select _raw_row_number, {{ key_column }}
            from {{ this }}
            where _raw_row_number = (select max(_raw_row_number) from {{ this }} where quarantine_reason is distinct from 'erased')
        ),
        in_file as (
            select staged._raw_row_number, staged.{{ key_column }} as file_key
            from {{ staging_relation }} as staged
            inner join stored on staged._raw_row_number = stored._raw_row_number
        )
        select
            (select count(*) from stored left join in_file using (_raw_row_number)
             where in_file._raw_row_number is null or stored.stored_key is distinct from in_file.file_key) as mismatches
    {%- endset -%}
    {%- set result = run_query(probe) -%}
    {%- if result.rows[0][0] > 0 -%}
        {{ log("livewh: " ~ staging_relation.identifier ~ " no longer matches the rows " ~ this.identifier
            ~ " stored at the same positions (the file was rewritten, not appended to): rebuilding "
            ~ this.identifier ~ " in full.", info=true) }}
        {{ return(true) }}
    {%- endif -%}
    {{ return(false) }}
{% endmacro %}

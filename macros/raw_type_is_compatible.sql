{# purpose: whether a raw file column of this DuckDB or Spark type can be read as the contract's data_type without going through text (text columns always can: staging parses them) #}
{% macro raw_type_is_compatible(file_type, contract_type) %}
    {%- set file_type = file_type | upper -%}
    {%- if file_type in ['VARCHAR', 'STRING'] -%}{{ return(true) }}{%- endif -%}
    {%- set numeric = file_type.startswith('DECIMAL') or file_type in [
        'TINYINT', 'SMALLINT', 'INT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT', 'FLOAT', 'DOUBLE'] -%}
    {%- set temporal = file_type.startswith('TIMESTAMP') or file_type == 'DATE' -%}
    {%- if contract_type in ['timestamp', 'date'] -%}{{ return(temporal) }}
    {%- elif contract_type in ['decimal', 'number', 'integer'] -%}{{ return(numeric) }}
    {%- elif contract_type == 'boolean' -%}{{ return(file_type == 'BOOLEAN') }}
    {%- else -%}{{ return(false) }}
    {%- endif -%}
{% endmacro %}

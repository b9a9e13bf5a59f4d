{# purpose: the raw contract's entry (source shop in _shop__sources.yml) for one table; stops on an unknown table #}
{% macro contract_table(table_name) %}
    {#- while dbt parses (not execute) the graph is empty: no columns yet -#}
    {%- if not execute -%}{{ return({'columns': {}, 'meta': {}}) }}{%- endif -%}
    {%- for node in graph.sources.values() -%}
        {%- if node.source_name == 'shop' and node.name == table_name -%}{{ return(node) }}{%- endif -%}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error("No raw contract table '" ~ table_name ~ "' in source shop") }}
{% endmacro %}

{# purpose: run-operation: write each named relation of the current target to <folder>/<name> as Parquet (Spark), so tests and tools outside the engine's session can read what it built #}
{% macro export_parquet(relations, folder) %}
    {{ return(adapter.dispatch('export_parquet', 'livewh')(relations, folder)) }}
{% endmacro %}

{% macro default__export_parquet(relations, folder) %}
    {%- for name in relations -%}
        {%- set found = relation_by_name(name) -%}
        {%- do run_query("copy (select * from " ~ found ~ ") to '" ~ folder ~ "/" ~ name ~ ".parquet' (format parquet)") -%}
    {%- endfor -%}
{% endmacro %}

{% macro spark__export_parquet(relations, folder) %}
    {%- for name in relations -%}
        {%- set found = relation_by_name(name) -%}
        {%- do run_query("insert overwrite directory '" ~ folder ~ "/" ~ name ~ "' using parquet select * from " ~ found) -%}
    {%- endfor -%}
{% endmacro %}

{# purpose: the built relation of a model or seed of this project, by name; stops on an unknown name #}
{% macro relation_by_name(name) %}
    {%- for node in graph.nodes.values() -%}
        {%- if node.resource_type in ['model', 'seed', 'snapshot'] and node.name == name -%}
            {{ return(adapter.get_relation(database=node.database, schema=node.schema, identifier=node.alias)) }}
        {%- endif -%}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error("relation_by_name: no model, seed or snapshot named '" ~ name ~ "'") }}
{% endmacro %}

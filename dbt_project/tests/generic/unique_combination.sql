{#- The grain test of a mart keyed by several columns: no two rows share the same values of
    `columns` (nulls compared as values). Portable SQL: a plain group by / having. -#}
{% test unique_combination(model, columns) %}
select {{ columns | join(', ') }}, count(*) as rows_with_this_key
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}

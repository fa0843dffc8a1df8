{#
    Fails on every row where `expression` is not true (null counts as a failure, so a
    measure that should exist must). On a model: `expression` names its columns; on a
    column: `expression` follows the column, as in `>= 0` or `between 0 and 1`.
    Plain SQL, no package: dbt_utils is not installed (nothing downloads at run time).
#}
{% test expression_is_true(model, expression, column_name=none) %}
select *
from {{ model }}
where not coalesce(
    {% if column_name %}{{ column_name }} {% endif %}{{ expression }},
    false
)
{% endtest %}

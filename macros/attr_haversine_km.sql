{% macro attr_haversine_km(latitude_1, longitude_1, latitude_2, longitude_2) -%}
    {{ return(adapter.dispatch('attr_haversine_km', 'customer_segments')(latitude_1, longitude_1, latitude_2, longitude_2)) }}
{%- endmacro %}

{% macro default__attr_haversine_km(latitude_1, longitude_1, latitude_2, longitude_2) -%}
    {#- Great-circle distance in km on a sphere of radius 6371.0088 km (mean Earth radius). -#}
    (
        2 * 6371.0088 * asin(sqrt(least(1.0,
            power(sin(radians(cast({{ latitude_2 }} as double) - cast({{ latitude_1 }} as double)) / 2), 2)
            + cos(radians(cast({{ latitude_1 }} as double))) * cos(radians(cast({{ latitude_2 }} as double)))
            * power(sin(radians(cast({{ longitude_2 }} as double) - cast({{ longitude_1 }} as double)) / 2), 2)
        )))
    )
{%- endmacro %}

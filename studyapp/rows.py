"""Model instances from the rows of a hand-written query, converted as the ORM converts them.

A few lookups run on every question page and every answer. For them, building and compiling the ORM's SQL
costs more than the database takes to run it (about 1 ms of CPU against a fraction of that), so they keep their
SQL, written once, and turn its rows into instances here: the same values, types and conversions as a queryset's.
"""

import functools

from django.db import connection


@functools.cache
def _fields(model) -> tuple:
    return tuple(model._meta.concrete_fields)


def table(model) -> str:
    """The model's table name, quoted for the database."""
    return connection.ops.quote_name(model._meta.db_table)


def db_value(model, field_name: str, value):
    """`value` as the ORM would send it to the database for that field (a hand-written write's parameter)."""
    return model._meta.get_field(field_name).get_db_prep_save(value, connection)


def columns(model, alias: str) -> str:
    """The model's columns for a SELECT list, in the order `instance` reads them."""
    quote = connection.ops.quote_name
    return ", ".join(f"{alias}.{quote(field.column)}" for field in _fields(model))


def width(model) -> int:
    return len(_fields(model))


@functools.cache
def _converters(model, vendor: str) -> tuple:
    """Per field, (column, converters): the backend's then the field's, as the ORM's compiler applies them."""
    table = model._meta.db_table
    converted = []
    for field in _fields(model):
        column = field.get_col(table)
        converted.append((column, tuple(connection.ops.get_db_converters(column) + field.get_db_converters(connection))))
    return tuple(converted)


def instance(model, values):
    """An instance of `model` from its columns' raw values (as `columns` listed them), marked as loaded from the database."""
    converted = []
    for value, (column, converters) in zip(values, _converters(model, connection.vendor), strict=True):
        for converter in converters:
            value = converter(value, column, connection)
        converted.append(value)
    return model.from_db(connection.alias, [field.attname for field in _fields(model)], converted)


def split(row, *models) -> tuple:
    """The instances of `models` from a row that selected their columns in that order, then the row's other values."""
    instances, start = [], 0
    for model in models:
        end = start + width(model)
        instances.append(instance(model, row[start:end]))
        start = end
    return (*instances, row[start:])

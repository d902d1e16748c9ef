"""For the tests of hand-written and compiled lookups: an instance they load must be the one a queryset loads."""


def assert_loaded_as_orm(got, want) -> None:
    """Every field's value (with its type's conversions) as the ORM loaded it, and marked as loaded from the database."""
    names = [field.attname for field in type(want)._meta.concrete_fields]
    assert type(got) is type(want)
    assert [getattr(got, name) for name in names] == [getattr(want, name) for name in names]
    assert got._state.adding is False and got._state.db == want._state.db

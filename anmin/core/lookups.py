"""``__in`` on an integer column leaves out the numbers the column cannot hold.

Django 5 answers ``pk=99999999999999999999`` with no rows (``IntegerFieldOverflow``), but its ``__in``
lookup passes such a number to the driver as it is: SQLite's fails with ``OverflowError`` ("Python int
too large to convert to SQLite INTEGER"). A tampered form reaches it through any multiple choice of
records (``ModelMultipleChoiceField`` checks the chosen keys with ``pk__in``) and answered 500. A
number out of the column's range names no row: it is dropped from the list (an empty list matches
nothing, as Django's own ``__in`` with no values).
"""

from __future__ import annotations

from django.db.models import IntegerField
from django.db.models.lookups import In


@IntegerField.register_lookup
class IntegerFieldIn(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(self.lhs.output_field.get_internal_type())
            self.rhs = [v for v in self.rhs if not isinstance(v, int) or isinstance(v, bool)
                        or ((low is None or v >= low) and (high is None or v <= high))]
        return super().process_rhs(compiler, connection)

"""Names for the few hand-written queries on hot paths, taken from the models' metadata.

The ORM spends about half a millisecond of Python compiling even a simple query; on the
queries every request makes (session, user) and on the report page's scheme summary we
write the SQL once per process instead. Names come from here, values go as parameters.
"""

from django.db import connections


def table(model, using="default"):
    return connections[using].ops.quote_name(model._meta.db_table)


def column(model, name, using="default"):
    return connections[using].ops.quote_name(model._meta.get_field(name).column)

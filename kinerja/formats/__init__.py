"""Date formats of the pages, one per language (``FORMAT_MODULE_PATH``).

A date reads "1 Januari 2017" in Indonesian and "1 January 2017" in English everywhere: templates
use ``{{ value|date }}`` (``DATE_FORMAT``) or ``|date:"DATETIME_FORMAT"``, and the audit trail's
helpers format with the same names. Only these two files say what the formats are. Date inputs
send and receive ISO dates (``<input type="date">``); the browser shows them in its own way.
"""

# Indonesian: "1 Januari 2017", "1 Januari 2017, 08.30". Django's own "j N Y" abbreviates months.
from django.conf.locale.id.formats import *  # noqa: F403

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H.i"
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT

from kinerja.imports.command import ImportCommand


class Command(ImportCommand):
    help = "Import org units from an .xlsx or .csv file, matched by code; parents before children."
    kind = "units"

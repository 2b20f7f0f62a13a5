from kinerja.imports.command import ImportCommand


class Command(ImportCommand):
    help = "Import positions from an .xlsx or .csv file, matched by code."
    kind = "positions"

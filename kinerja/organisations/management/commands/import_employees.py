from kinerja.imports.command import ImportCommand


class Command(ImportCommand):
    help = (
        "Import employees from an .xlsx or .csv file: PNS and PPPK by NIP, "
        "non-ASN staff by name and unit."
    )
    kind = "employees"

import KlaxonCtl

print("klaxonctl: not yet implemented")

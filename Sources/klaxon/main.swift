import KlaxonServer

print("klaxon: not yet implemented")

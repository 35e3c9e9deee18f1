import KlaxonCtl

KlaxonCtl.main()

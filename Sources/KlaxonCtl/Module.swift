/// KlaxonCtl module.
public enum KlaxonCtlModule {}

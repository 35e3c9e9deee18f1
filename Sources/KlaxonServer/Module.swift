/// KlaxonServer module.
public enum KlaxonServerModule {}

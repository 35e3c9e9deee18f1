/// KlaxonCore module.
public enum KlaxonCoreModule {}

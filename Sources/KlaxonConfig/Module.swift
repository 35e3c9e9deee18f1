/// KlaxonConfig module.
public enum KlaxonConfigModule {}

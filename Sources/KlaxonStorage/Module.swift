/// KlaxonStorage module.
public enum KlaxonStorageModule {}

/// KlaxonEngine module.
public enum KlaxonEngineModule {}

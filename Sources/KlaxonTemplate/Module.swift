/// KlaxonTemplate module.
public enum KlaxonTemplateModule {}

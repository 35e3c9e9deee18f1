/// KlaxonNotify module.
public enum KlaxonNotifyModule {}

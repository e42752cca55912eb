/// The effective Updraft configuration.
public enum UpdraftConfig {}

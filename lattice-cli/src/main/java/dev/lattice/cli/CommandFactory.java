package dev.lattice.cli;

import java.lang.reflect.InvocationTargetException;
import picocli.CommandLine;
import picocli.CommandLine.IFactory;

/**
 * Creates the command objects picocli asks for: a command class with a constructor taking {@link
 * Io} gets this run's streams; anything else (mixins, the defaults provider) is made as picocli
 * makes it.
 */
final class CommandFactory implements IFactory {
  private final Io io;

  CommandFactory(Io io) {
    this.io = io;
  }

  @Override
  public <K> K create(Class<K> cls) throws Exception {
    try {
      return cls.getDeclaredConstructor(Io.class).newInstance(io);
    } catch (NoSuchMethodException e) {
      return CommandLine.defaultFactory().create(cls);
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
    }
  }
}

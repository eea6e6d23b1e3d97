package dev.moire.agent;

import java.lang.instrument.Instrumentation;
import org.jspecify.annotations.Nullable;

/**
 * The {@code -javaagent} entry point: rewrites the application's and its tests' classes as they
 * load, so that plain JDK locks, semaphores, latches, queues, futures and executors are moire's
 * drop-ins, named after where they are created. With Maven Surefire:
 *
 * <pre>{@code
 * <argLine>-javaagent:${dev.moire:moire-agent:jar}</argLine>
 * }</pre>
 *
 * (the path set by {@code maven-dependency-plugin:properties}; see the README). It sets the system
 * property {@value #ACTIVE_PROPERTY} to its version, which is how {@code @MoireTracked} knows that
 * it is there.
 */
public final class MoireAgent {
  /** Set to the agent's version once the agent is installed. */
  public static final String ACTIVE_PROPERTY = "moire.agent";

  private MoireAgent() {}

  /**
   * Installs the agent before {@code main}.
   *
   * @throws IllegalArgumentException if the agent's argument holds an unknown option
   */
  public static void premain(@Nullable String argument, Instrumentation instrumentation) {
    install(argument, instrumentation);
  }

  /**
   * Installs the agent into a running JVM: only classes loaded afterwards are rewritten (those
   * already loaded are left as they are; the agent never retransforms).
   */
  public static void agentmain(@Nullable String argument, Instrumentation instrumentation) {
    install(argument, instrumentation);
  }

  private static synchronized void install(
      @Nullable String argument, Instrumentation instrumentation) {
    if (System.getProperty(ACTIVE_PROPERTY) != null) {
      return; // attached twice: once is enough
    }
    AgentOptions options = AgentOptions.parse(argument);
    instrumentation.addTransformer(new AgentTransformer(options, instrumentation), false);
    System.setProperty(ACTIVE_PROPERTY, version());
  }

  private static String version() {
    String v = MoireAgent.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}

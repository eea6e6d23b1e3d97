package dev.moire.junit;

import java.io.PrintStream;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Says once per run, when {@code moire-agent} is not attached, what it would add and how to attach
 * it; silent when it is attached, or when {@code moire.agent.hint=false}.
 */
final class AgentHint {
  /** The system property the agent sets when it is installed. */
  static final String AGENT_PROPERTY = "moire.agent";

  /** The configuration parameter that silences the hint. */
  static final String PARAMETER = "moire.agent.hint";

  static final String TEXT =
      "moire: moire-agent is not attached, so plain JDK Semaphores, CountDownLatches, queues,"
          + " CompletableFutures and executors are seen only through the JVM, which does not know"
          + " who holds a permit or who would count down, put, take or complete. Attach it in"
          + " Surefire's argLine: -javaagent:${dev.moire:moire-agent:jar} (README, \"Plain JDK code,"
          + " no code change\"); moire.agent.hint=false silences this line.";

  private AgentHint() {}

  /** Prints the hint once per run of {@code context}'s engine, if the agent is absent. */
  static void onceIfAbsent(ExtensionContext context, PrintStream out) {
    if (System.getProperty(AGENT_PROPERTY) != null
        || !context
            .getConfigurationParameter(PARAMETER)
            .map(v -> Settings.parseBoolean(PARAMETER, v))
            .orElse(true)) {
      return;
    }
    context
        .getRoot()
        .getStore(ExtensionContext.Namespace.create(AgentHint.class))
        .getOrComputeIfAbsent(
            "said",
            k -> {
              out.println(TEXT);
              return Boolean.TRUE;
            },
            Boolean.class);
  }
}

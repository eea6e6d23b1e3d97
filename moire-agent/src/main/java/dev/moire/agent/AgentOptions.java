package dev.moire.agent;

import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The agent's options, from {@code
 * -javaagent:moire-agent.jar=packages=com.acme,org.example;verbose}: {@code packages} names
 * packages rewritten wherever their classes come from (by default only classes loaded from class
 * directories are: the build's own {@code classes} and {@code test-classes}); {@code verbose}
 * prints each class rewritten.
 *
 * @param packages package prefixes, in internal form ({@code com/acme/})
 * @param verbose whether to print each class rewritten
 */
record AgentOptions(List<String> packages, boolean verbose) {
  /**
   * Parses the agent's argument.
   *
   * @throws IllegalArgumentException naming the option that is not one of the agent's
   */
  static AgentOptions parse(@Nullable String argument) {
    List<String> packages = List.of();
    boolean verbose = false;
    if (argument != null && !argument.isBlank()) {
      for (String option : argument.split(";")) {
        String o = option.strip();
        if (o.isEmpty()) {
          continue;
        }
        if (o.equals("verbose")) {
          verbose = true;
        } else if (o.startsWith("packages=")) {
          packages =
              Arrays.stream(o.substring("packages=".length()).split(","))
                  .map(String::strip)
                  .filter(p -> !p.isEmpty())
                  .map(p -> p.replace('.', '/') + (p.endsWith(".") ? "" : "/"))
                  .map(p -> p.replace("//", "/"))
                  .toList();
        } else {
          throw new IllegalArgumentException(
              "moire-agent: unknown option '"
                  + o
                  + "' (the options are packages=com.acme,org.example and verbose, separated by"
                  + " ';')");
        }
      }
    }
    return new AgentOptions(packages, verbose);
  }

  /** Whether {@code className} (internal form) is in one of the named packages. */
  boolean includes(String className) {
    for (String p : packages) {
      if (className.startsWith(p)) {
        return true;
      }
    }
    return false;
  }
}

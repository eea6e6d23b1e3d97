package dev.moire.runtime.store;

import dev.moire.model.internal.Checks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Which run of a build's tests a JVM's snapshots belong to, and the commit it built when that is
 * known. A store accumulates across {@code mvn test} runs; the report shows the latest run first
 * and older ones folded, so that a failure fixed and rerun without {@code clean} is not shown as
 * today's. One run spans every JVM of one build: Surefire's forks of all modules of one Maven
 * invocation (they share the Maven process as their parent), and every CI shard of one pipeline
 * (they share the CI's run id), so that their stores merge into one run.
 *
 * <p>The id, first found of: the system property {@value #PROPERTY} or the environment variable
 * {@code MOIRE_RUN_ID} (given by the user); the CI's own run id (GitHub Actions, GitLab, Jenkins,
 * Buildkite, CircleCI, Travis); the Maven process this JVM was forked from; this JVM alone (an IDE,
 * a Gradle daemon's worker: give the property to group several). The commit: the CI's variable
 * ({@code GITHUB_SHA}, ...), else the {@code HEAD} of the Git checkout around the working
 * directory.
 *
 * @param id the run's id, equal for every JVM of the run
 * @param commit the commit the run built, when known
 */
public record RunIdentity(String id, Optional<String> commit) {
  /** The system property that names the run; {@code MOIRE_RUN_ID} in the environment also does. */
  public static final String PROPERTY = "moire.run.id";

  /** CI variables that identify one pipeline run, with the variable that tells its attempt. */
  private static final List<String[]> CI_RUN_IDS =
      List.of(
          new String[] {"GITHUB_RUN_ID", "GITHUB_RUN_ATTEMPT"},
          new String[] {"CI_PIPELINE_ID", null},
          new String[] {"BUILDKITE_BUILD_ID", null},
          new String[] {"CIRCLE_WORKFLOW_ID", null},
          new String[] {"TRAVIS_BUILD_ID", null},
          new String[] {"BUILD_TAG", null});

  private static final List<String> CI_COMMITS =
      List.of(
          "GITHUB_SHA",
          "CI_COMMIT_SHA",
          "BUILDKITE_COMMIT",
          "CIRCLE_SHA1",
          "TRAVIS_COMMIT",
          "GIT_COMMIT");

  private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}([0-9a-f]{24})?");

  /**
   * Validates the identity.
   *
   * @throws IllegalArgumentException if the id is blank
   */
  public RunIdentity {
    Checks.notBlank(id, "run id");
    Checks.notNull(commit, "commit");
  }

  private static volatile @Nullable RunIdentity current;

  /** This JVM's run, worked out once. */
  public static RunIdentity current() {
    RunIdentity c = current;
    if (c == null) {
      c =
          of(
              System.getProperty(PROPERTY),
              System.getenv(),
              ProcessHandle.current(),
              Path.of("").toAbsolutePath());
      current = c;
    }
    return c;
  }

  /** A run given by its id, with the commit when known: for harnesses that know their run. */
  public static RunIdentity of(String id, Optional<String> commit) {
    return new RunIdentity(id, commit);
  }

  /** The run as this JVM's surroundings say (see the class). */
  static RunIdentity of(
      @Nullable String property, Map<String, String> env, ProcessHandle self, Path workDir) {
    Optional<String> commit = commit(env, workDir);
    if (property != null && !property.isBlank()) {
      return new RunIdentity("given:" + property.strip(), commit);
    }
    String given = env.get("MOIRE_RUN_ID");
    if (given != null && !given.isBlank()) {
      return new RunIdentity("given:" + given.strip(), commit);
    }
    for (String[] ci : CI_RUN_IDS) {
      String run = env.get(ci[0]);
      if (run != null && !run.isBlank()) {
        String attempt = ci[1] == null ? null : env.get(ci[1]);
        return new RunIdentity(
            "ci:" + ci[0] + "=" + run.strip() + (attempt == null ? "" : "." + attempt.strip()),
            commit);
      }
    }
    Optional<ProcessHandle> maven = mavenAncestor(self);
    if (maven.isPresent()) {
      return new RunIdentity("maven:" + maven.get().pid() + "@" + startMillis(maven.get()), commit);
    }
    return new RunIdentity("jvm:" + self.pid() + "@" + startMillis(self), commit);
  }

  /**
   * The Maven process this JVM descends from: Surefire forks the test JVM itself or through a
   * shell, so a few generations up at most.
   */
  private static Optional<ProcessHandle> mavenAncestor(ProcessHandle self) {
    Optional<ProcessHandle> p = self.parent();
    for (int i = 0; i < 4 && p.isPresent(); i++) {
      if (isMaven(p.get())) {
        return p;
      }
      p = p.get().parent();
    }
    return Optional.empty();
  }

  /** Whether a process is Maven's launcher (its Plexus Classworlds main class). */
  private static boolean isMaven(ProcessHandle p) {
    ProcessHandle.Info info = p.info();
    String line =
        info.commandLine()
            .orElseGet(() -> String.join(" ", info.arguments().orElse(new String[0])));
    return line.contains("org.codehaus.plexus.classworlds") || line.contains("plexus-classworlds");
  }

  private static long startMillis(ProcessHandle p) {
    return p.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L);
  }

  private static Optional<String> commit(Map<String, String> env, Path workDir) {
    for (String name : CI_COMMITS) {
      String sha = env.get(name);
      if (sha != null && SHA.matcher(sha.strip()).matches()) {
        return Optional.of(sha.strip());
      }
    }
    return gitHead(workDir);
  }

  /** The commit {@code HEAD} names in the Git checkout around {@code dir}, read, never run. */
  static Optional<String> gitHead(Path dir) {
    for (Path d = dir; d != null; d = d.getParent()) {
      Path git = d.resolve(".git");
      if (Files.isDirectory(git)) {
        return readHead(git);
      }
      if (Files.isRegularFile(git)) {
        return Optional.empty(); // a worktree or submodule: its Git dir is elsewhere
      }
    }
    return Optional.empty();
  }

  private static Optional<String> readHead(Path git) {
    try {
      String head = Files.readString(git.resolve("HEAD"), StandardCharsets.UTF_8).strip();
      if (SHA.matcher(head).matches()) {
        return Optional.of(head); // detached, as CI checks out
      }
      if (!head.startsWith("ref: ")) {
        return Optional.empty();
      }
      String ref = head.substring(5).strip();
      Path loose = git.resolve(ref);
      if (loose.normalize().startsWith(git) && Files.isRegularFile(loose)) {
        String sha = Files.readString(loose, StandardCharsets.UTF_8).strip();
        return SHA.matcher(sha).matches() ? Optional.of(sha) : Optional.empty();
      }
      Path packed = git.resolve("packed-refs");
      if (Files.isRegularFile(packed)) {
        for (String line : Files.readAllLines(packed, StandardCharsets.UTF_8)) {
          int space = line.indexOf(' ');
          if (space > 0 && line.substring(space + 1).strip().equals(ref)) {
            String sha = line.substring(0, space);
            return SHA.matcher(sha).matches() ? Optional.of(sha) : Optional.empty();
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // No commit, then: a report without one is still a report.
    }
    return Optional.empty();
  }
}

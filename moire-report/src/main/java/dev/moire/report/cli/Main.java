package dev.moire.report.cli;

import dev.moire.report.MoireReport;
import dev.moire.runtime.store.MoireStore;
import dev.moire.runtime.store.StoreException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The command line: {@code java -jar moire-report.jar <store>... [--out <dir>]}. One store gives
 * its report; several (CI shards, forks) give one merged report.
 */
public final class Main {
  static final String USAGE =
      "usage: java -jar moire-report.jar <store.db>... [--out <dir>] [--source-url <template>]\n"
          + "  writes index.html and one page per stored snapshot into <dir>\n"
          + "  (default: a 'report' directory beside the first store);\n"
          + "  several stores are merged into one report;\n"
          + "  --source-url links each source line, e.g.\n"
          + "  https://github.com/acme/bank/blob/{commit}/src/test/java/{path}#L{line}";

  private Main() {}

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /**
   * Runs the command line; returns 0 on success, 1 if a store cannot be read or the report cannot
   * be written, 2 for a usage error.
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    List<Path> stores = new ArrayList<>();
    Path outDir = null;
    Optional<String> sourceUrl = Optional.empty();
    try {
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        if (a.equals("--help") || a.equals("-h")) {
          out.println(USAGE);
          return 0;
        } else if (a.equals("--out")) {
          if (i + 1 >= args.length) {
            return usage(err, "--out needs a directory");
          }
          outDir = Path.of(args[++i]);
        } else if (a.equals("--source-url")) {
          if (i + 1 >= args.length || args[i + 1].isBlank()) {
            return usage(err, "--source-url needs a URL template");
          }
          sourceUrl = Optional.of(args[++i]);
        } else if (a.startsWith("-")) {
          return usage(err, "unknown option " + a);
        } else {
          stores.add(Path.of(a));
        }
      }
    } catch (InvalidPathException e) {
      return usage(err, "not a valid path: " + e.getInput());
    }
    if (stores.isEmpty()) {
      return usage(err, "no store given");
    }
    for (Path p : stores) {
      if (!Files.exists(p)) {
        err.println("moire-report: no store at " + p.toAbsolutePath());
        return 1;
      }
      if (Files.isDirectory(p)) {
        err.println(
            "moire-report: " + p.toAbsolutePath() + " is a directory; give the store file in it");
        return 1;
      }
    }
    Path dir =
        outDir != null ? outDir : stores.get(0).toAbsolutePath().getParent().resolve("report");
    List<Path> distinct = new ArrayList<>();
    try {
      for (Path p : stores) {
        Path real = p.toRealPath();
        if (!distinct.contains(real)) {
          distinct.add(real); // a store given twice is read once
        }
      }
    } catch (IOException e) {
      err.println("moire-report: cannot read " + e.getMessage());
      return 1;
    }
    List<MoireStore> open = new ArrayList<>();
    try {
      for (Path p : distinct) {
        open.add(MoireStore.openReadOnly(p)); // never written: they may not be ours
      }
      Path index =
          open.size() == 1
              ? MoireReport.refresh(open.get(0), dir, sourceUrl)
              : MoireReport.merge(open, dir, sourceUrl);
      int snapshots = open.stream().mapToInt(s -> s.snapshots().size()).sum();
      out.println(
          "moire-report: "
              + snapshots
              + (snapshots == 1 ? " snapshot" : " snapshots")
              + " from "
              + open.size()
              + (open.size() == 1 ? " store" : " stores")
              + "; open "
              + index.toAbsolutePath());
      return 0;
    } catch (StoreException | UncheckedIOException e) {
      err.println("moire-report: " + e.getMessage());
      return 1;
    } finally {
      for (MoireStore s : open) {
        s.close();
      }
    }
  }

  private static int usage(PrintStream err, String problem) {
    err.println("moire-report: " + problem);
    err.println(USAGE);
    return 2;
  }
}

/** The report's command line, {@code java -jar moire-report.jar <store>... [--out <dir>]}. */
@NullMarked
package dev.moire.report.cli;

import org.jspecify.annotations.NullMarked;

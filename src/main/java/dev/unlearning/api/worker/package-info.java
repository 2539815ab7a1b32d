/**
 * The contract between the operator and its worker pods: exit codes, the result records each role writes to
 * its termination message, the metrics a finalize step measures and the thresholds the gate applies. Both
 * sides compile against these types, so a renamed or dropped field is a compile error or a failed decode,
 * never a value that silently goes missing.
 */
package dev.unlearning.api.worker;

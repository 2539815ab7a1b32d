/**
 * Custom resource types of the {@code unlearning.dev/v1alpha1} API. The CRDs in {@code crds/} are generated
 * from these classes; change a type, then regenerate (see README, "Changing the API").
 */
package dev.unlearning.api;

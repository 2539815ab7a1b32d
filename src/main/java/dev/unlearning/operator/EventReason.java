package dev.unlearning.operator;

/** Every Event reason the operator emits; the name is the CamelCase reason Kubernetes shows. */
public enum EventReason {
    Accepted,
    ModelNotFound,
    ListNotFound,
    ThresholdNotMeasurable,
    DeadlineExceeded,
    RuntimeNotAllowed,
    TrainingStarted,
    TrainingRestarted,
    TrainingFailed,
    ResultMissing,
    VersionPublished,
    UnlearningStarted,
    FallingBackToExact,
    ExactFollowUpScheduled,
    Verified,
    VerificationFailed,
    UnlearningJobFailed,
    FinalizeJobFailed,
    JobMissing,
    RollbackRefused,
    RolledOut,
    ErasureStarted,
    VersionsErased,
    ErasureFailed,
    StorePurgeStarted,
    StorePurged,
    StorePurgeFailed,
    Expired,
    ReconcileError
}

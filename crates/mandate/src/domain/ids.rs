//! A type per identifier, so an organisation id can never be passed where a user id belongs.

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, sqlx::Type, serde::Serialize, serde::Deserialize)]
        #[sqlx(transparent)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// An organisation (a tenant).
    OrgId
);
id_type!(
    /// A person who can sign in; one identity may belong to several organisations.
    UserId
);
id_type!(
    /// A browser session.
    SessionId
);
id_type!(
    /// An API bearer token.
    TokenId
);
id_type!(
    /// A stored piece of evidence (one version of a file).
    EvidenceId
);
id_type!(
    /// An information security objective (ISO/IEC 27001 6.2).
    ObjectiveId
);
id_type!(
    /// One measurement of an objective (ISO/IEC 27001 9.1).
    MeasurementId
);
id_type!(
    /// A role in the organisation's ISMS role catalogue (CISO, risk owner …), not an access role.
    CatalogueRoleId
);
id_type!(
    /// A person's appointment to a catalogue role.
    AppointmentId
);
id_type!(
    /// An ISMS process, a row of the RACI matrix.
    ProcessId
);
id_type!(
    /// A segregation-of-duties rule: two catalogue roles one person must not hold together.
    SodRuleId
);
id_type!(
    /// A commitment of money and/or people's time (ISO/IEC 27001 7.1).
    CommitmentId
);
id_type!(
    /// A spending or time entry against a commitment (or a counter-entry reversing one).
    ResourceEntryId
);
id_type!(
    /// A policy (all its versions).
    PolicyId
);
id_type!(
    /// One version of a policy's text.
    PolicyVersionId
);
id_type!(
    /// An acknowledgement campaign for a published policy version.
    CampaignId
);
id_type!(
    /// An exception to a policy.
    PolicyExceptionId
);
id_type!(
    /// An entry of the communication plan (ISO/IEC 27001 7.4).
    PlanEntryId
);
id_type!(
    /// A communication that was sent.
    CommunicationId
);
id_type!(
    /// An awareness training campaign (ISO/IEC 27001 7.3).
    TrainingId
);
id_type!(
    /// A phishing simulation (one GoPhish campaign) and its imported results.
    SimulationId
);
id_type!(
    /// One entry of top management's personal involvement log.
    InvolvementId
);
id_type!(
    /// A meeting of management (management team, ISMS committee, board …).
    MeetingId
);
id_type!(
    /// An item on a meeting's agenda.
    AgendaItemId
);
id_type!(
    /// A decision taken in a meeting.
    DecisionId
);
id_type!(
    /// An action arising from a meeting or one of its decisions.
    ActionId
);

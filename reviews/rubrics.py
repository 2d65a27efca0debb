"""The default Destination Zero rubric: the published judging criteria, plus replicability.

Descriptors are for the default 1 to 5 scale; staff edit them in the admin.
"""

DEFAULT_CRITERIA = (
    (
        "results",
        "Effective and measurable results",
        "The program changed what it set out to change, shown with figures from before and after.",
        (
            "No results are given, or only opinions.",
            "Results are described but not measured.",
            "Some measured results, without a clear comparison with before.",
            "Measured results against a baseline, for the main goals.",
            "Strong, measured results against a baseline for every goal, from a named source.",
        ),
    ),
    (
        "integration",
        "Integration into the agency",
        "The program is part of how the agency works: policy, training, supervision, budget.",
        (
            "A one-off effort outside normal operations.",
            "Run by a few people, not yet in policy or training.",
            "In policy or training, but not both.",
            "In policy and training, with a named owner.",
            "Part of policy, training, supervision and the budget, across the agency.",
        ),
    ),
    (
        "durability",
        "Durability and sustainability",
        "The program will last: it survives changes of people, leadership and funding.",
        (
            "Depends on one person or on one-time money.",
            "Running, with no plan for when its champion or funding goes.",
            "Some planning for continuity.",
            "Funded from the regular budget, with more than one person able to run it.",
            "Running for years, funded and staffed to outlast its founders.",
        ),
    ),
    (
        "buy-in",
        "Employee buy-in and participation",
        "Officers and staff take part, and want to: shown with participation rates.",
        (
            "No participation figures.",
            "Low participation, or figures without context.",
            "Moderate participation.",
            "High participation, with evidence that officers value it.",
            "Near-universal participation, driven by officers themselves.",
        ),
    ),
    (
        "promotion",
        "Promotion of the program",
        "How the program was made known inside the agency and beyond it.",
        (
            "Not promoted.",
            "Announced once.",
            "Promoted through a few channels.",
            "Promoted steadily inside the agency, with some outreach beyond it.",
            "A sustained campaign inside and beyond the agency that others have copied.",
        ),
    ),
    (
        "replicability",
        "Replicability for other agencies",
        "Another agency, of another size, could start the same program from what is given.",
        (
            "Too specific to this agency to copy.",
            "Could be copied only with resources most agencies lack.",
            "Could be copied by similar agencies, with effort.",
            "Clear enough for most agencies to copy, with the resources stated.",
            "Ready to copy: costs, materials and advice for agencies of any size.",
        ),
    ),
)

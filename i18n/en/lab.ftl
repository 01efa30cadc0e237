# Lab authors' errors found when a lab is loaded (src/lab/load.rs); shown in English
# beside the other lab errors, which name the lab file and line.

lab-field-bad-path = check `{ $check }` has a malformed path `{ $path }`: { $problem }
lab-field-path-help = a path is keys joined by `.`, with `[N]` for one list element, `[*]` for every element and `["key"]` for a key with dots or slashes (see the book: Writing a new lab → Field paths)

# Reading a lab folder (kubelab lab test DIR, --labs DIR)
lab-folder-unreadable = cannot read the lab folder: { $reason }
lab-folder-no-lab-yaml = not a lab folder: it holds no lab.yaml
lab-folder-help = a lab folder holds lab.yaml, its fixtures and probes, its reference solution in solution/ and its test cases in corpus/ (see the book: Writing a new lab)
lab-labs-folder-help = pass a folder whose subfolders each hold a lab.yaml

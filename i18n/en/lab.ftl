# Lab authors' errors found when a lab is loaded (src/lab/load.rs); shown in English
# beside the other lab errors, which name the lab file and line.

lab-field-bad-path = check `{ $check }` has a malformed path `{ $path }`: { $problem }
lab-field-path-help = a path is keys joined by `.`, with `[N]` for one list element, `[*]` for every element and `["key"]` for a key with dots or slashes (see the book: Writing a new lab → Field paths)

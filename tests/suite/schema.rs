//! `playbook schema`: the JSON Schemas an editor checks front matter with.
//! Every page that builds must pass its kind's schema (else the editor would
//! flag good pages), and a page the build rejects should fail it too.

use std::path::Path;

use crate::site_test::SiteTest;

/// Every Markdown page under `content/`, checked against the schema the
/// remark configuration maps its path to. Returns (page, errors) for the
/// pages that fail.
fn check_pages(t: &SiteTest) -> Vec<(String, Vec<String>)> {
    let run = t.run(&["schema"]);
    run.success();
    let remark: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let map = &remark["plugins"][1][1]["schemas"];
    let map = map.as_object().expect("a schema map");
    let mut failures = Vec::new();
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(t.path("content")).sort_by_file_name() {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let rel = path
            .strip_prefix(&t.root)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let schema_path = schema_for(map, &rel).unwrap_or_else(|| panic!("no schema for {rel}"));
        let schema: serde_json::Value =
            serde_json::from_str(&t.read(schema_path.trim_start_matches("./"))).unwrap();
        let validator = jsonschema::draft7::new(&schema).unwrap();
        let front = front_matter(path);
        let errors: Vec<String> = validator
            .iter_errors(&front)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        if !errors.is_empty() {
            failures.push((rel, errors));
        }
        checked += 1;
    }
    assert!(checked > 0);
    failures
}

/// The schema whose glob matches `rel`: `content/cases/**/*.md` or `content/*.md`.
fn schema_for<'a>(
    map: &'a serde_json::Map<String, serde_json::Value>,
    rel: &str,
) -> Option<&'a str> {
    map.iter().find_map(|(schema, globs)| {
        let glob = globs[0].as_str()?;
        let hit = match glob.strip_suffix("/**/*.md") {
            Some(folder) => rel.starts_with(&format!("{folder}/")),
            None => {
                let folder = glob.strip_suffix("/*.md")?;
                rel.strip_prefix(&format!("{folder}/"))
                    .is_some_and(|name| !name.contains('/'))
            }
        };
        hit.then_some(schema.as_str())
    })
}

/// A page's front matter as JSON, the way an editor's YAML parser reads it.
fn front_matter(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap();
    let rest = text
        .strip_prefix("---\n")
        .unwrap_or_else(|| panic!("{}", path.display()));
    let end = rest.find("\n---").unwrap();
    let yaml: serde_yaml::Value = serde_yaml::from_str(&rest[..end]).unwrap();
    serde_json::to_value(yaml).unwrap()
}

fn kit(name: &str) -> (SiteTest, std::path::PathBuf) {
    let t = SiteTest::empty();
    t.run(&["new", "site", "--kit", name]).success();
    let root = t.path("site");
    (t, root)
}

/// A site inside another test folder, as `SiteTest` sees one.
fn inside(t: &SiteTest, dir: &str) -> SiteTest {
    let s = SiteTest::empty();
    crate::site_test::copy_dir(&t.path(dir), &s.root);
    s
}

#[test]
fn every_page_of_the_default_playbook_passes_its_schema() {
    let t = SiteTest::default_playbook();
    let failures = check_pages(&t);
    assert!(failures.is_empty(), "{failures:#?}");
    // One schema per declared kind, and one for the home and free pages.
    let mut names: Vec<String> = std::fs::read_dir(t.path("schemas"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "case.schema.json",
            "hybrid.schema.json",
            "mistake.schema.json",
            "page.schema.json",
            "pattern.schema.json"
        ]
    );
}

#[test]
fn every_page_of_both_kits_passes_its_schema() {
    for name in ["open-source-ai", "incident-response"] {
        let (t, _) = kit(name);
        let site = inside(&t, "site");
        let failures = check_pages(&site);
        assert!(failures.is_empty(), "{name}: {failures:#?}");
    }
}

/// The schema is not a rubber stamp: the mistakes the build reports in front
/// matter are the ones an editor underlines.
#[test]
fn a_page_the_build_rejects_fails_its_schema() {
    let (t, _) = kit("incident-response");
    let site = inside(&t, "site");
    site.write(
        "content/plays/roll-back.md",
        "---\ntitle: Roll back\nsummary: s\nphase: recovr\nrun-by: [nobody, incident-commander]\ntime-box: ten\nautomatd: true\n---\nBody\n",
    );
    site.write(
        "content/scenarios/data-leak.md",
        "---\ntitle: Leak\nsummary: \" \"\nseverity: high\nowner: [incident-commander]\nplays: [incident-commander]\nlast-drill: 14/09/2026\nrunbook: www.example.org\n---\nBody\n",
    );
    site.build().failure();
    let failures = check_pages(&site);
    let errors = |page: &str| -> String {
        failures
            .iter()
            .find(|(p, _)| p.ends_with(page))
            .map(|(_, e)| e.join("\n"))
            .unwrap_or_else(|| panic!("{page} passed its schema"))
    };
    let play = errors("plays/roll-back.md");
    for expected in [
        "\"recovr\" is not one of",
        "\"nobody\" is not one of",
        "\"ten\" is not of type",
        "automatd",
    ] {
        assert!(play.contains(expected), "{expected}\n{play}");
    }
    let scenario = errors("scenarios/data-leak.md");
    for expected in [
        "at /summary",
        "at /owner",
        // A play's id where a role is wanted.
        "\"incident-commander\" is not one of",
        "at /last-drill",
        "at /runbook",
    ] {
        assert!(scenario.contains(expected), "{expected}\n{scenario}");
    }
    assert_eq!(failures.len(), 2, "{failures:#?}");
}

#[test]
fn without_ids_references_take_any_id_and_the_schemas_land_where_asked() {
    let t = SiteTest::default_playbook();
    let run = t.run(&["schema", "--no-ids", "--out", "editor/schemas"]);
    run.success();
    let case = t.read("editor/schemas/case.schema.json");
    assert!(!case.contains("\"catching-up\""), "{case}");
    assert!(case.contains("^[a-z0-9_-]+$"), "{case}");
    assert!(
        run.stdout.contains("./editor/schemas/case.schema.json"),
        "{}",
        run.stdout
    );
}

/// `schema` replaces its own files, never someone else's.
#[test]
fn schema_never_overwrites_a_file_it_did_not_write() {
    let t = SiteTest::default_playbook();
    t.run(&["schema"]).success();
    t.run(&["schema"]).success();
    t.write("schemas/case.schema.json", "{ \"mine\": true }");
    t.run(&["schema"]).failure().reports(
        "schemas/case.schema.json",
        "exists, and playbook did not write it",
    );
    assert_eq!(t.read("schemas/case.schema.json"), "{ \"mine\": true }");
}

// Two more schemas: a clinic (doctors and patients through appointments) and
// music (artists' songs in genres, has_and_belongs_to_many).
#include <string>
#include <vector>

#include "fixtures.hpp"

using namespace fixtures;

namespace {

using Ids = std::vector<std::int64_t>;
using Counts = std::vector<std::int64_t>;

const std::vector<std::string> kClinicTables = {"doctors", "patients", "appointments"};

struct Clinic : TestApp {
  Clinic()
      : TestApp(table_sql("doctors", "  name varchar") + table_sql("patients", "  name varchar") +
                    table_sql("appointments",
                              "  doctor_id integer NOT NULL REFERENCES doctors (id),\n"
                              "  patient_id integer NOT NULL REFERENCES patients (id),\n"
                              "  scheduled_at datetime(6)") +
                    "CREATE INDEX index_appointments_on_doctor_id ON appointments (doctor_id);\n"
                    "CREATE INDEX index_appointments_on_patient_id ON appointments (patient_id);\n",
                models()) {}

  static std::vector<ModelDecl> models() {
    std::vector<ModelDecl> d;
    d.push_back(ModelDecl("Doctor")
                    .has_many("appointments", {{"dependent", sym("destroy")}})
                    .has_many("patients", {{"through", sym("appointments")}})
                    .validates({"name"}, {{"presence", yes()}}));
    d.push_back(ModelDecl("Appointment").belongs_to("doctor").belongs_to("patient"));
    d.push_back(ModelDecl("Patient")
                    .has_many("appointments", {{"dependent", sym("restrict_with_exception")}})
                    .has_many("doctors", {{"through", sym("appointments")}}));
    return d;
  }

  RecordPtr doctor(const std::string& name) { return create("Doctor", {{"name", Value(name)}}); }
  RecordPtr patient(const std::string& name) { return create("Patient", {{"name", Value(name)}}); }
  RecordPtr appointment(const RecordPtr& d, const RecordPtr& p, const std::string& at) {
    return create("Appointment", {{"doctor", d}, {"patient", p}, {"scheduled_at", Value(at)}});
  }
};

}  // namespace

TEST_CASE("clinic: the through associations are worked out from the names") {
  Clinic c;
  const Reflection& patients = c.reflection("Doctor", "patients");
  CHECK(patients.klass == &c.model("Patient"));
  CHECK(patients.source_reflection == &c.reflection("Appointment", "patient"));
  CHECK(c.reflection("Doctor", "appointments").foreign_key == "doctor_id");
  CHECK(c.reflection("Patient", "doctors").source_reflection == &c.reflection("Appointment", "doctor"));
  CHECK(c.assoc(c.doctor("House"), "patients").select("\"patients\".*", "").sql ==
        "SELECT \"patients\".* FROM \"patients\" INNER JOIN \"appointments\" ON \"patients\".\"id\" = "
        "\"appointments\".\"patient_id\" WHERE \"appointments\".\"doctor_id\" = ?");
}

TEST_CASE("clinic: appointments make patients and doctors, duplicates included") {
  Clinic c;
  auto house = c.doctor("House");
  auto grey = c.doctor("Grey");
  auto ann = c.patient("Ann");
  auto bob = c.patient("Bob");
  c.appointment(house, ann, "2024-05-01 09:00:00");
  c.appointment(house, bob, "2024-05-01 10:00:00");
  c.appointment(house, ann, "2024-05-08 09:00:00");
  c.appointment(grey, bob, "2024-05-02 11:00:00");

  CHECK(c.ids(c.assoc(house, "patients").order("id", false)) == Ids{id_of(ann), id_of(ann), id_of(bob)});
  CHECK(c.store.queries().count(c.assoc(house, "patients")) == 3);
  CHECK(c.ids(c.assoc(grey, "patients")) == Ids{id_of(bob)});
  CHECK(c.ids(c.assoc(bob, "doctors").order("id", false)) == Ids{id_of(house), id_of(grey)});
  CHECK(c.ids(c.assoc(ann, "doctors")) == Ids{id_of(house), id_of(house)});
  CHECK(c.store.associations().includes(c.assoc(grey, "patients"), bob));
  CHECK_FALSE(c.store.associations().includes(c.assoc(grey, "patients"), ann));
  CHECK(c.store.queries().count(c.assoc(ann, "appointments")) == 2);

  // appointments by time, on one doctor
  Relation later = c.assoc(house, "appointments").order("scheduled_at", true);
  CHECK(text(c.store.queries().first(later), "scheduled_at") == "2024-05-08 09:00:00");
  CHECK(c.store.queries().count(c.assoc(house, "appointments").where({{"patient", ann}})) == 2);
  CHECK(c.store.queries().count(c.all("Appointment").where({{"scheduled_at", Value("2024-05-01 10:00:00")}})) == 1);

  auto bad = c.store.persistence().build(c.model("Appointment"), {});
  CHECK_THROWS_WITH_AS(c.store.persistence().save_strict(*bad), "Validation failed: Doctor must exist, Patient must exist",
                       RecordInvalid);
}

TEST_CASE("clinic: doctor.patients << creates the appointment, delete removes every one of the pair") {
  Clinic c;
  auto house = c.doctor("House");
  auto ann = c.patient("Ann");
  auto bob = c.patient("Bob");
  Relation patients = c.assoc(house, "patients");
  c.store.associations().add(patients, ann);
  c.store.associations().add(patients, ann);
  c.store.associations().add(patients, bob);
  CHECK(c.rows("appointments") == 3);
  auto appt = c.store.queries().first(c.all("Appointment"));
  CHECK(appt->get("doctor_id") == house->id());
  CHECK(appt->get("patient_id") == ann->id());
  CHECK(is_null(appt->get("scheduled_at")));
  CHECK(c.ids(c.assoc(ann, "doctors")) == Ids{id_of(house), id_of(house)});

  c.store.associations().remove(patients, ann);
  CHECK(c.rows("appointments") == 1);
  CHECK(c.rows("patients") == 2);
  CHECK(c.ids(patients) == Ids{id_of(bob)});

  auto cy = c.store.associations().create_in(c.assoc(house, "patients"), {{"name", Value("Cy")}}, true);
  CHECK(c.counts(kClinicTables) == Counts{1, 3, 2});
  CHECK(c.ids(c.assoc(cy, "doctors")) == Ids{id_of(house)});
  // from the other side
  auto grey = c.store.associations().create_in(c.assoc(cy, "doctors"), {{"name", Value("Grey")}}, true);
  CHECK(c.ids(c.assoc(grey, "patients")) == Ids{id_of(cy)});
  CHECK_THROWS_WITH_AS(c.store.associations().create_in(c.assoc(cy, "doctors"), {}, true), "Validation failed: Name can't be blank",
                       RecordInvalid);
  CHECK(c.counts(kClinicTables) == Counts{2, 3, 3});
}

TEST_CASE("clinic: destroying a doctor takes the appointments and leaves the patients") {
  Clinic c;
  auto house = c.doctor("House");
  auto grey = c.doctor("Grey");
  auto ann = c.patient("Ann");
  auto bob = c.patient("Bob");
  c.appointment(house, ann, "2024-05-01 09:00:00");
  c.appointment(house, bob, "2024-05-01 10:00:00");
  auto keep = c.appointment(grey, bob, "2024-05-02 11:00:00");
  CHECK(c.store.persistence().destroy(*house));
  CHECK(c.counts(kClinicTables) == Counts{1, 2, 1});
  CHECK(c.ids(c.all("Appointment")) == Ids{id_of(keep)});
  CHECK(c.store.queries().count(c.assoc(ann, "doctors")) == 0);

  // a patient with appointments cannot go: restrict_with_exception, nothing changed
  CHECK_THROWS_WITH_AS(c.store.persistence().destroy(*bob), "Cannot delete record because of dependent appointments",
                       DeleteRestrictionError);
  CHECK(c.counts(kClinicTables) == Counts{1, 2, 1});
  CHECK(c.store.persistence().destroy(*ann));
  CHECK(c.counts(kClinicTables) == Counts{1, 1, 1});
}

TEST_CASE("music: artists' songs in genres; destroying an artist removes their songs' genre links only") {
  TestApp a(table_sql("artists", "  name varchar") +
                table_sql("songs", "  artist_id integer NOT NULL REFERENCES artists (id),\n  title varchar") +
                table_sql("genres", "  name varchar") +
                "CREATE TABLE genres_songs (genre_id integer NOT NULL REFERENCES genres (id),"
                " song_id integer NOT NULL REFERENCES songs (id));",
            {ModelDecl("Artist").has_many("songs", {{"dependent", sym("destroy")}}),
             ModelDecl("Song").belongs_to("artist").has_and_belongs_to_many("genres"),
             ModelDecl("Genre").has_and_belongs_to_many("songs")});
  const std::vector<std::string> tables = {"artists", "songs", "genres", "genres_songs"};
  auto miles = a.create("Artist", {{"name", Value("Miles")}});
  auto nina = a.create("Artist", {{"name", Value("Nina")}});
  auto jazz = a.create("Genre", {{"name", Value("jazz")}});
  auto soul = a.create("Genre", {{"name", Value("soul")}});
  auto so_what = a.store.associations().create_in(a.assoc(miles, "songs"), {{"title", Value("So What")}}, true);
  auto blue = a.store.associations().create_in(a.assoc(miles, "songs"), {{"title", Value("Blue in Green")}}, true);
  auto feeling = a.store.associations().create_in(a.assoc(nina, "songs"), {{"title", Value("Feeling Good")}}, true);
  a.store.associations().add(a.assoc(so_what, "genres"), jazz);
  a.store.associations().add(a.assoc(blue, "genres"), jazz);
  a.store.associations().add(a.assoc(feeling, "genres"), jazz);
  a.store.associations().add(a.assoc(feeling, "genres"), soul);
  CHECK(a.ids(a.assoc(jazz, "songs").order("id", false)) == Ids{id_of(so_what), id_of(blue), id_of(feeling)});
  CHECK(a.ids(a.assoc(feeling, "genres").order("id", false)) == Ids{id_of(jazz), id_of(soul)});
  CHECK(a.counts(tables) == Counts{2, 3, 2, 4});

  CHECK(a.store.persistence().destroy(*miles));
  CHECK(a.counts(tables) == Counts{1, 1, 2, 2});
  CHECK(a.ids(a.assoc(jazz, "songs")) == Ids{id_of(feeling)});
  CHECK(a.store.queries().count(a.assoc(soul, "songs")) == 1);
}

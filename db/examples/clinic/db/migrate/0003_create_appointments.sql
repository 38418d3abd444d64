-- migrate:up
CREATE TABLE appointments (
  id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  doctor_id integer NOT NULL REFERENCES doctors (id),
  patient_id integer NOT NULL REFERENCES patients (id),
  scheduled_at datetime(6) NOT NULL,
  reason varchar,
  created_at datetime(6) NOT NULL,
  updated_at datetime(6) NOT NULL
);
CREATE INDEX index_appointments_on_doctor_id ON appointments (doctor_id);
CREATE INDEX index_appointments_on_patient_id ON appointments (patient_id);
CREATE UNIQUE INDEX index_appointments_on_doctor_id_and_scheduled_at ON appointments (doctor_id, scheduled_at);

-- migrate:down
DROP TABLE appointments;

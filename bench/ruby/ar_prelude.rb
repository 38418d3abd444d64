# For ruby only: ActiveRecord 6.1 on the database fwitter migrated, with the
# models of db/models.fw that the seed script uses (the same validations,
# so both make the same queries).
require "active_record"
require "uri"
database = ENV.fetch("FWITTER_DB")
if database.start_with?("postgres")  # scripts/bench's PostgreSQL figures: ActiveRecord's PostgreSQL adapter (ruby-pg)
  # postgresql://USER@/NAME?host=SOCKET_DIR&port=PORT (Ruby's URI takes no empty host)
  user, rest = database.split("://", 2).last.split("@", 2)
  name, query = rest.delete_prefix("/").split("?", 2)
  options = URI.decode_www_form(query.to_s).to_h
  ActiveRecord::Base.establish_connection(adapter: "postgresql", username: user, database: name,
                                          host: options["host"], port: options["port"])
else
  ActiveRecord::Base.establish_connection(adapter: "sqlite3", database: database)
end
class User < ActiveRecord::Base
  has_many :tweets, dependent: :destroy
  validates :username, presence: true, uniqueness: true
  validates :email, presence: true, uniqueness: true, format: { with: /\A[^@\s]+@[^@\s]+\z/ }
end
class Tweet < ActiveRecord::Base
  belongs_to :user
  validates :content, presence: true, length: { maximum: 280 }
end

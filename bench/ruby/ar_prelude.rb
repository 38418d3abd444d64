# For ruby only: ActiveRecord 6.1 on the database fwitter migrated, with the
# models of db/models.fw that the seed script uses (the same validations,
# so both make the same queries).
require "active_record"
ActiveRecord::Base.establish_connection(adapter: "sqlite3", database: ENV.fetch("FWITTER_DB"))
class User < ActiveRecord::Base
  has_many :tweets, dependent: :destroy
  validates :username, presence: true, uniqueness: true
  validates :email, presence: true, uniqueness: true, format: { with: /\A[^@\s]+@[^@\s]+\z/ }
end
class Tweet < ActiveRecord::Base
  belongs_to :user
  validates :content, presence: true, length: { maximum: 280 }
end

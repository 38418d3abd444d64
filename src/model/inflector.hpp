#pragma once
// ActiveSupport's inflections, worked out in one place: every naming
// convention of the model layer comes from here.
#include <string>

namespace fw::model::inflector {

std::string pluralize(const std::string& word);    // person -> people, tweet -> tweets
std::string singularize(const std::string& word);  // people -> person, users -> user
std::string camelize(const std::string& snake);    // user_item -> UserItem
std::string underscore(const std::string& camel);  // UserItem -> user_item
std::string tableize(const std::string& class_name);  // UserItem -> user_items
std::string classify(const std::string& name);     // user_items / user_item -> UserItem
// Attribute name as a person reads it: followed_id -> Followed, created_at -> Created at.
std::string humanize(const std::string& attribute);
std::string foreign_key(const std::string& class_name);  // User -> user_id

}  // namespace fw::model::inflector

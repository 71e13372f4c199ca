CREATE DATABASE vigie_directory;
CREATE DATABASE vigie_publisher;
CREATE DATABASE vigie_listener;
CREATE DATABASE vigie_reputation;
CREATE DATABASE vigie_partnerships;
